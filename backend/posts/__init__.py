"""Posts: a caption and 1 to 10 of the creator's photos, drafted then published, and likes."""
