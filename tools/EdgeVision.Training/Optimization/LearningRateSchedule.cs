namespace EdgeVision.Training.Optimization;

public enum ScheduleKind
{
    /// <summary>Half-cosine from the base rate to 0 after warm-up (Loshchilov &amp; Hutter 2017).</summary>
    Cosine,

    /// <summary>×0.1 at 50 % and 75 % of training (He et al. 2015).</summary>
    Step,
}

/// <summary>Learning rate per optimizer step: linear warm-up, then cosine or step decay.</summary>
public sealed record LearningRateSchedule(double BaseRate, ScheduleKind Kind, double WarmupEpochs, int Epochs, int StepsPerEpoch)
{
    public double At(long step)
    {
        long total = (long)Epochs * StepsPerEpoch;
        long warmup = (long)Math.Round(WarmupEpochs * StepsPerEpoch);
        // Warm-up starts above zero so the first step already learns something.
        if (step < warmup) return BaseRate * (step + 1) / warmup;
        double progress = total > warmup ? (double)(step - warmup) / (total - warmup) : 1.0;
        progress = Math.Clamp(progress, 0.0, 1.0);
        return Kind switch
        {
            ScheduleKind.Cosine => BaseRate * 0.5 * (1 + Math.Cos(Math.PI * progress)),
            _ => BaseRate * (progress >= 0.75 ? 0.01 : progress >= 0.5 ? 0.1 : 1.0),
        };
    }
}
