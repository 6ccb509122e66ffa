import json
import os

from haystack import Document
from haystack.components.embedders import OpenAIDocumentEmbedder, OpenAITextEmbedder
from haystack.utils import Secret

settings = dict(
    api_base_url=os.environ.get("EMBED_BASE_URL", "http://127.0.0.1:8080") + "/v1",
    api_key=Secret.from_token(os.environ.get("EMBED_API_KEY", "unused")),
    model=os.environ.get("EMBED_MODEL", "all-MiniLM-L6-v2"),
)
texts = ["A man is eating food.", "Grüße aus Köln 🙂 — naïve café", "東京は日本の首都です。"]
documents = OpenAIDocumentEmbedder(**settings).run(documents=[Document(content=t) for t in texts])["documents"]
print(json.dumps({"texts": texts, "vectors": [d.embedding for d in documents]}))
query = OpenAITextEmbedder(**settings).run(text="Where is the capital of Japan?")["embedding"]
print(json.dumps({"texts": ["Where is the capital of Japan?"], "vectors": [query]}))
