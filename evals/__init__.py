"""Quality evaluation: gold questions, GermanQuAD retrieval, metrics, reports (never imported by the product)."""
