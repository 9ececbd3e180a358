from knowledge.cli import app

app()
