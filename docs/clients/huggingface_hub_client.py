import json
import os

from huggingface_hub import InferenceClient

client = InferenceClient(
    base_url=os.environ.get("EMBED_BASE_URL", "http://127.0.0.1:8080"),  # the server's root, no /v1
    api_key=os.environ.get("EMBED_API_KEY", "unused"),
)
texts = ["A man is eating food.", "Grüße aus Köln 🙂 — naïve café", "東京は日本の首都です。"]
vectors = client.feature_extraction(texts).tolist()  # POST / with TEI's body; a (3, 384) numpy array
print(json.dumps({"texts": texts, "vectors": vectors}))
scores = client.sentence_similarity(texts[0], other_sentences=texts[1:])  # POST / with a similarity body
print(json.dumps({"source": texts[0], "sentences": texts[1:], "scores": scores}))
