"""Exports of a snapshot or a check for the tools teams already use: SARIF (code scanning),
BloodHound OpenGraph, CycloneDX AI-BOM, Mermaid, GraphML, JSON and promptfoo."""
