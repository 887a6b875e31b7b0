"""Consensus stage: the story reconstructed from its versions, each sentence with its witnesses."""

from wiretrace.consensus.reconstruct import reconstruct

__all__ = ["reconstruct"]
