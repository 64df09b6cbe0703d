"""newsdesk's engine: reading inputs, extraction, storage and search. Never imports textual."""
