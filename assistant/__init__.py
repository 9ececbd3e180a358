"""Legal-information assistant for German residence law: one entry point, `ask()`."""
