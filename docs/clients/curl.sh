#!/bin/sh
# The server's root (no /v1) and the key it was started with (--api-key; any value if none).
BASE_URL="${EMBED_BASE_URL:-http://127.0.0.1:8080}"
API_KEY="${EMBED_API_KEY:-unused}"

# OpenAI's route: {"data": [{"embedding": [...], "index": 0}, ...], "model", "usage"}
curl -sS --fail-with-body "$BASE_URL/v1/embeddings" \
  -H "Authorization: Bearer $API_KEY" -H "Content-Type: application/json" \
  -d '{"model": "all-MiniLM-L6-v2", "input": ["A man is eating food.", "Grüße aus Köln 🙂 — naïve café"]}'
echo

# TEI's route: a JSON array of vectors
curl -sS --fail-with-body "$BASE_URL/embed" \
  -H "Authorization: Bearer $API_KEY" -H "Content-Type: application/json" \
  -d '{"inputs": ["A man is eating food.", "Grüße aus Köln 🙂 — naïve café"]}'
echo
