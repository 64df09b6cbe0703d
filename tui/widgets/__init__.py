"""The app's widgets, one small class a file."""
