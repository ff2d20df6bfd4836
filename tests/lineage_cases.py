"""Labels for the corpus lineage checks, shared by tests/test_lineage_corpus.py and bench/lineage.py.

What a careful reader of each card in ../shared/corpus/models concludes; labels, not inputs to the tool.
"""

LLAMA2_RELABELS = {  # Llama 2 / Code Llama derivatives that declare another licence
    "Doctor-Shotgun/llama-2-13b-chat-limarp-v2-merged": "agpl-3.0",
    "NousResearch/Nous-Hermes-Llama2-13b": "mit",
    "TIGER-Lab/MAmmoTH-7B": "mit",
    "Tap-M/Luna-AI-Llama2-Uncensored": "cc-by-sa-4.0",
    "ajibawa-2023/Code-13B": "cc-by-nc-nd-4.0",
    "deepse/CodeUp-Llama-2-13b-chat-hf": "openrail++",
    "defog/sqlcoder-34b-alpha": "cc-by-4.0",
    "garage-bAInd/Platypus2-13B": "cc-by-nc-sa-4.0",
    "lizpreciatior/lzlv_70b_fp16_hf": "cc-by-nc-2.0",
    "mrm8488/llama-2-coder-7b": "apache-2.0",
    "microsoft/Orca-2-13b": "other",
}
CONSISTENT = [
    "lmsys/vicuna-7b-v1.5",
    "llamas-community/LlamaGuard-7b",
    "mattshumer/Reflection-Llama-3.1-70B",
    "HuggingFaceH4/zephyr-7b-beta",
    "meta-llama/Llama-3.1-8B-Instruct",
]
INDEPENDENT = [
    "LLM360/Amber",
    "LLM360/AmberChat",
    "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T",
    "EleutherAI/pythia-160m",
    "EleutherAI/gpt-j-6b",
    "EleutherAI/gpt-neox-20b",
    "mistralai/Mistral-7B-v0.1",
    "mistralai/Mistral-7B-Instruct-v0.2",
    "mistralai/Mixtral-8x7B-v0.1",
    "mistralai/Devstral-Small-2507",
    "microsoft/phi-2",
    "tiiuae/falcon-7b",
    "bigscience/bloom",
    "LumiOpen/Poro-34B",
    "state-spaces/mamba-2.8b-hf",
    "Qwen/Qwen-72B",
    "meta-llama/Llama-2-7b-hf",
    "meta-llama/Llama-3.1-8B",
    "meta-llama/Meta-Llama-3-8B",
    "google/gemma-2b",
    "google/gemma-2b-it",
    "deepseek-ai/deepseek-llm-7b-base",
    "xai-org/grok-1",
]
LINEAGE_CONFLICTS = ("relicensed", "incompatible-merge", "dataset-license", "derivative-without-license")
