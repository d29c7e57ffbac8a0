import { useEffect } from "react";

/** "Sign in · Digis"; the home page is just "Digis". */
export function useDocumentTitle(title?: string) {
  useEffect(() => {
    document.title = title ? `${title} · Digis` : "Digis";
  }, [title]);
}
