"""Asset checks: schema (pandera), reconciliation with raw events, gaps, meter classification."""
