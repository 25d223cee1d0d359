"""The demo city's programme records (SPEC section 6) for seed_demo: a year of kindness
initiatives, training sessions with attendance and a case handout, and the expert
consultation room's experts, slots and requests. Each builder draws from a stream of its own.
"""

from demo.programme.consultations import ConsultationSeed, seed_consultations
from demo.programme.initiatives import InitiativeSeed, seed_initiatives
from demo.programme.training import HANDOUT_SESSION, TrainingSeed, seed_training

__all__ = [
    "HANDOUT_SESSION",
    "ConsultationSeed",
    "InitiativeSeed",
    "TrainingSeed",
    "seed_consultations",
    "seed_initiatives",
    "seed_training",
]
