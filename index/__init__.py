"""Access to the index: the embedder, the built-in model conversion and the Chroma store (a local
folder or a server). Ingest writes through it; the assistant and the evaluation read through it."""
