"""sacreBLEU's metric classes (``sacrebleu.metrics``): `BLEU`, `CHRF`, `TER` and their scores."""

from .base import Metric, Score, Signature
from .bleu import BLEU, BLEUScore
from .chrf import CHRF, CHRFScore
from .ter import TER, TERScore

METRICS = {"BLEU": BLEU, "CHRF": CHRF, "TER": TER}

__all__ = ["METRICS", "Metric", "Score", "Signature", "BLEU", "BLEUScore", "CHRF", "CHRFScore",
           "TER", "TERScore"]
