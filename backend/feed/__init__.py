"""The feed: the newest published posts of the creators a user follows."""
