"""The package list, found rather than listed: every folder of report/ (its subpackages, and
report/data/ with the CSL styles and schemas), plus templates/ shipped as report.templates.
pyproject.toml says everything else; `packages.find` there cannot add a folder that lies
outside report/, hence this file."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(include=["report", "report.*"], exclude=["*__pycache__*"]),
        "report.templates",
    ]
)
