"""newsdesk's engine: readers, passages, extraction and the Whoosh store. Never imports textual."""

FORMAT_VERSION = 1
