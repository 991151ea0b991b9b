namespace EdgeVision.Training.Model;

/// <summary>Construction-time choices that do not change the architecture or its parameter names.</summary>
public sealed record NetworkOptions
{
    /// <summary>Zero the last BN γ of every residual branch so each block starts as the identity.</summary>
    public bool ZeroInitResidual { get; init; }

    /// <summary>
    /// Stochastic depth (Huang et al. 2016): survival probability of the last block, decaying linearly
    /// from 1 at the first block; 1 disables. The paper's default is 0.5.
    /// </summary>
    public double FinalSurvivalProbability { get; init; } = 1.0;

    public void Validate()
    {
        if (!(FinalSurvivalProbability > 0.0 && FinalSurvivalProbability <= 1.0))
            throw new ArgumentException($"stochastic depth: final survival probability must be in (0, 1], not {FinalSurvivalProbability}");
    }

    /// <summary>p_l = 1 − (l+1)/L · (1 − p_L), so the first block is nearly always kept and the last at p_L.</summary>
    public double SurvivalProbability(int blockIndex, int blockCount) =>
        FinalSurvivalProbability >= 1.0 ? 1.0 : 1.0 - (blockIndex + 1) / (double)blockCount * (1.0 - FinalSurvivalProbability);
}
