"""Partner feeds and CSV files turned into calls on ``cms``: fetch → parse → normalise → validate → upsert → archive."""
