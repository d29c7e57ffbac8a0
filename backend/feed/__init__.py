"""The feed: newest ready media from the creators a user follows."""
