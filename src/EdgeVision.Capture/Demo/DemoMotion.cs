namespace EdgeVision.Capture;

/// <summary>
/// Where the demo garment is at time t: a slow pan, zoom and tilt, a little hand-held jitter, lighting that
/// drifts, and a cross-fade into the next image at the end of each slot. Pure function of time and seed, so
/// tests and replays see the same motion. Amplitudes are kept small enough that the garment always fills most of
/// the centred square the model sees (a crop of the frame's shorter side).
/// </summary>
public readonly record struct DemoPose(
    int Image,
    int NextImage,
    double Blend,
    double Scale,
    double OffsetX,
    double OffsetY,
    double AngleDegrees,
    double Gain)
{
    /// <summary>The image that dominates the frame: what the ground truth must name.</summary>
    public int DominantImage => Blend < 0.5 ? Image : NextImage;
}

public static class DemoMotion
{
    /// <summary>Fraction of each slot spent cross-fading into the next image.</summary>
    public const double TransitionFraction = 0.2;

    /// <param name="t">Seconds since the demo started.</param>
    /// <param name="slot">Seconds per image, transition included.</param>
    /// <param name="order">Image order (a permutation of the set).</param>
    /// <param name="jitterX">Hand-held jitter in pixels, supplied by the caller's seeded random.</param>
    public static DemoPose At(double t, double slot, IReadOnlyList<int> order, double jitterX, double jitterY)
    {
        long k = (long)Math.Floor(t / slot);
        double u = t / slot - k;
        double w = SmoothStep((u - (1 - TransitionFraction)) / TransitionFraction);
        int current = order[(int)(k % order.Count)];
        int next = order[(int)((k + 1) % order.Count)];
        const double Tau = 2 * Math.PI;
        // Incommensurate periods so the motion never visibly repeats.
        double scale = 0.93 + 0.06 * Math.Sin(Tau * t / 3.1);
        double x = 0.035 * Math.Sin(Tau * t / 4.3) + jitterX;
        double y = 0.025 * Math.Sin(Tau * t / 3.7 + 1.0) + jitterY;
        double angle = 3.0 * Math.Sin(Tau * t / 5.9);
        double gain = 0.95 + 0.12 * Math.Sin(Tau * t / 6.7 + 0.5);
        return new DemoPose(current, next, w, scale, x, y, angle, gain);
    }

    private static double SmoothStep(double x)
    {
        x = Math.Clamp(x, 0, 1);
        return x * x * (3 - 2 * x);
    }
}
