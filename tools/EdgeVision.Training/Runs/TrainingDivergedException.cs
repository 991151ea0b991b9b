namespace EdgeVision.Training.Runs;

/// <summary>
/// The training loss stopped being a number (NaN or infinite): the weights are lost, so the run stops at once instead of
/// training and exporting a model that outputs NaN. The message names where it happened and which rate to lower.
/// </summary>
public sealed class TrainingDivergedException(string message) : Exception(message)
{
}
