"""Zhijia (职工之家): trade unions serving workers at zero distance."""

__version__ = "0.1.0"
