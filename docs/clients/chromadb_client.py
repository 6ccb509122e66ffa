import json
import os

import chromadb
from chromadb.utils.embedding_functions import OpenAIEmbeddingFunction

os.environ.setdefault("EMBED_API_KEY", "unused")
embed = OpenAIEmbeddingFunction(
    api_base=os.environ.get("EMBED_BASE_URL", "http://127.0.0.1:8080") + "/v1",
    api_key_env_var="EMBED_API_KEY",  # ignored when OPENAI_API_KEY is set: that one wins
    model_name=os.environ.get("EMBED_MODEL", "all-MiniLM-L6-v2"),
)
texts = ["A man is eating food.", "Grüße aus Köln 🙂 — naïve café", "東京は日本の首都です。"]
client = chromadb.EphemeralClient(chromadb.Settings(anonymized_telemetry=False))
collection = client.create_collection("docs", embedding_function=embed, metadata={"hnsw:space": "cosine"})
collection.add(ids=["food", "cologne", "tokyo"], documents=texts)  # all documents in one request
stored = collection.get(ids=["food", "cologne", "tokyo"], include=["embeddings"])
print(json.dumps({"texts": texts, "vectors": stored["embeddings"].tolist()}))
hits = collection.query(query_texts=["Where is the capital of Japan?"], n_results=1)
print(json.dumps({"query": "Where is the capital of Japan?", "ids": hits["ids"][0]}))
