import json
import os

from llama_index.embeddings.openai_like import OpenAILikeEmbedding

embed_model = OpenAILikeEmbedding(
    api_base=os.environ.get("EMBED_BASE_URL", "http://127.0.0.1:8080") + "/v1",
    api_key=os.environ.get("EMBED_API_KEY", "unused"),
    model_name=os.environ.get("EMBED_MODEL", "all-MiniLM-L6-v2"),
)
texts = ["A man is eating food.", "Grüße aus Köln 🙂 — naïve café", "東京は日本の首都です。"]
vectors = embed_model.get_text_embedding_batch(texts)  # 10 texts per request by default
query = embed_model.get_query_embedding("Where is the capital of Japan?")
print(json.dumps({"texts": texts, "vectors": vectors}))
print(json.dumps({"texts": ["Where is the capital of Japan?"], "vectors": [query]}))
