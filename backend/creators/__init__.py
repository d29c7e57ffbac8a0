"""Creators: discovery, profiles and the follow graph between users and creators."""
