"""sitegen: a static generator for plain-language patient-education sites.

The pipeline, one module per stage:
sources -> frontmatter -> schema -> markdown -> model -> links -> render -> write.
"""

__version__ = "0.1.0"
