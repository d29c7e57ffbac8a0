"""The token ledger: wallets, append-only entries, transfers and tips."""
