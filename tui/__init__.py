"""The Textual app and the newsdesk command line."""
