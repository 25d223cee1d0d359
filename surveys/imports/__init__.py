"""The imports of the happy-call centre and the outside surveys (SPEC sections 4 and 7),
registered with the shared machinery of kindness.imports when the app is ready."""

from surveys.imports.happycalls import HappyCallImporter
from surveys.imports.outside import PhoneSurveyImporter, VisitSurveyImporter
from surveys.imports.petitions import PetitionImporter

__all__ = ["HappyCallImporter", "PetitionImporter", "PhoneSurveyImporter", "VisitSurveyImporter"]
