"""Images the user attaches, made ready for the model."""
