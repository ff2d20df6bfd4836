"""auditor: how open is an AI model on the Hugging Face Hub, really?"""

__version__ = "0.1.0"
