"""The services reviewers and the bureau use on what the pipeline read: review actions, the queue,
stage moves, who sees what, batch progress, exports and statistics. Called by the web and the CLI;
it calls the pipeline's linking and evaluation (pipeline/linking.py), never the other way round."""
