"""What-if scenarios (layer 5): VAR impulse responses and conditional paths
(:mod:`dyadwatch.scenarios.var`), and the expected-utility bargaining model
(:mod:`dyadwatch.scenarios.bargaining`) with its scenario files
(:mod:`dyadwatch.scenarios.scenario_file`). Method: docs/scenarios.md."""
