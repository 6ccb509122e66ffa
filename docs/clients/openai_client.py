import json
import os

from openai import OpenAI

client = OpenAI(
    base_url=os.environ.get("EMBED_BASE_URL", "http://127.0.0.1:8080") + "/v1",
    api_key=os.environ.get("EMBED_API_KEY", "unused"),  # any string when the server has no --api-key
)
texts = ["A man is eating food.", "Grüße aus Köln 🙂 — naïve café", "東京は日本の首都です。"]
response = client.embeddings.create(model=os.environ.get("EMBED_MODEL", "all-MiniLM-L6-v2"), input=texts)
vectors = [item.embedding for item in response.data]
print(json.dumps({"texts": texts, "vectors": vectors}))
