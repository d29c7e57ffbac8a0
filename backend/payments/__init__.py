"""Buying tokens with Stripe: packages, purchases, Checkout, the webhook inbox and its handlers."""
