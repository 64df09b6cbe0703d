"""The OpenSearch engine: the seam's Reader and Writer over an OpenSearch cluster.

``config`` (the location URL, credentials and TLS from the environment or the config file, the
client), ``mappings`` (index names, aliases, analysers and mappings), ``translate`` (Whoosh's
query tree to the query DSL), ``reader`` and ``writer``.
"""
