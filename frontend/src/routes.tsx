import type { RouteObject } from "react-router";
import { GuestOnly } from "./auth/GuestOnly";
import { RequireAuth } from "./auth/RequireAuth";
import { Layout } from "./components/Layout";
import { RouteError } from "./components/RouteError";
import { CreatorPage } from "./pages/CreatorPage";
import { CreatorsPage } from "./pages/CreatorsPage";
import { DashboardPage } from "./pages/DashboardPage";
import { ForgotPasswordPage } from "./pages/ForgotPasswordPage";
import { HomePage } from "./pages/HomePage";
import { LoginPage } from "./pages/LoginPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { NotificationsPage } from "./pages/NotificationsPage";
import { ResetPasswordPage } from "./pages/ResetPasswordPage";
import { SettingsPage } from "./pages/SettingsPage";
import { SignupPage } from "./pages/SignupPage";
import { UploadPage } from "./pages/UploadPage";
import { WalletPage } from "./pages/WalletPage";
import { WalletReturnPage } from "./pages/WalletReturnPage";

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomePage /> },
      {
        element: <GuestOnly />,
        children: [
          { path: "login", element: <LoginPage /> },
          { path: "signup", element: <SignupPage /> },
        ],
      },
      { path: "forgot-password", element: <ForgotPasswordPage /> },
      // Public pages: visitors read them and are asked to sign in only to act.
      { path: "creators", element: <CreatorsPage /> },
      { path: "creators/:handle", element: <CreatorPage /> },
      { path: "reset-password", element: <ResetPasswordPage /> },
      {
        element: <RequireAuth />,
        children: [
          { path: "dashboard", element: <DashboardPage /> },
          { path: "settings", element: <SettingsPage /> },
          { path: "wallet", element: <WalletPage /> },
          { path: "wallet/return", element: <WalletReturnPage /> },
          { path: "upload", element: <UploadPage /> },
          { path: "notifications", element: <NotificationsPage /> },
        ],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];
