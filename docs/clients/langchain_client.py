import json
import os

from langchain_openai import OpenAIEmbeddings

embeddings = OpenAIEmbeddings(
    base_url=os.environ.get("EMBED_BASE_URL", "http://127.0.0.1:8080") + "/v1",
    api_key=os.environ.get("EMBED_API_KEY", "unused"),
    model=os.environ.get("EMBED_MODEL", "all-MiniLM-L6-v2"),
)
texts = ["A man is eating food.", "Grüße aus Köln 🙂 — naïve café", "東京は日本の首都です。"]
vectors = embeddings.embed_documents(texts)
query = embeddings.embed_query("Where is the capital of Japan?")
print(json.dumps({"texts": texts, "vectors": vectors}))
print(json.dumps({"texts": ["Where is the capital of Japan?"], "vectors": [query]}))
