using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeVision.Tools.Bench;

/// <summary>
/// The machine's fp32 ceiling: independent fused multiply-adds on registers only, no memory traffic, one
/// thread per benchmark thread, at the widest vector the JIT accelerates. No convolution or GEMM can beat it
/// with the same arithmetic, so it tells how close a network runs to the hardware and whether a speed-up
/// target is reachable at all; the MatMul peak (<see cref="MatMulPeak"/>) is what a real kernel gets.
/// </summary>
public static class FmaPeak
{
    public sealed record Result(double Gflops, int VectorBits, int Threads);

    // Twelve independent accumulators cover the FMA latency (4 cycles) times two FMA pipes with room to spare.
    private const int Accumulators = 12;

    public static Result Measure(int threads, double seconds, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        // Vector<float> stays 256 bits on AVX-512 machines unless configured otherwise, so 512 is asked for explicitly.
        int bits = Vector512.IsHardwareAccelerated ? 512 : Vector<float>.Count * 32;
        Func<long, float> kernel = bits == 512 ? Kernel512 : KernelNative;
        kernel(1000); // JIT before timing

        // Calibrate the iteration count on one thread, then time all threads together, best of three.
        long iterations = 1 << 16;
        while (true)
        {
            var sw = Stopwatch.StartNew();
            kernel(iterations);
            if (sw.Elapsed.TotalSeconds > seconds / 10 || iterations > 1L << 40) break;
            iterations *= 4;
        }
        iterations = (long)(iterations * (seconds / 3) / Math.Max(1e-6, MeasureOne(kernel, iterations)));
        double best = 0;
        for (int round = 0; round < 3; round++)
        {
            ct.ThrowIfCancellationRequested();
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() => GC.KeepAlive(kernel(iterations)))).ToList();
            var sw = Stopwatch.StartNew();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());
            double flops = 2.0 * Accumulators * (bits / 32) * iterations * threads;
            best = Math.Max(best, flops / sw.Elapsed.TotalSeconds / 1e9);
        }
        return new Result(best, bits, threads);
    }

    private static double MeasureOne(Func<long, float> kernel, long iterations)
    {
        var sw = Stopwatch.StartNew();
        kernel(iterations);
        return sw.Elapsed.TotalSeconds;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Kernel512(long n)
    {
        var m = Vector512.Create(0.9999f);
        var c = Vector512.Create(1e-4f);
        Vector512<float> a0 = c, a1 = c + c, a2 = a1 + c, a3 = a2 + c, a4 = a3 + c, a5 = a4 + c,
            a6 = a5 + c, a7 = a6 + c, a8 = a7 + c, a9 = a8 + c, a10 = a9 + c, a11 = a10 + c;
        for (long i = 0; i < n; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    /// <summary>Vector&lt;float&gt;: 256 bits on AVX2, 128 on NEON (Jetson).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float KernelNative(long n)
    {
        var m = new Vector<float>(0.9999f);
        var c = new Vector<float>(1e-4f);
        Vector<float> a0 = c, a1 = c + c, a2 = a1 + c, a3 = a2 + c, a4 = a3 + c, a5 = a4 + c,
            a6 = a5 + c, a7 = a6 + c, a8 = a7 + c, a9 = a8 + c, a10 = a9 + c, a11 = a10 + c;
        for (long i = 0; i < n; i++)
        {
            a0 = Vector.FusedMultiplyAdd(a0, m, c); a1 = Vector.FusedMultiplyAdd(a1, m, c);
            a2 = Vector.FusedMultiplyAdd(a2, m, c); a3 = Vector.FusedMultiplyAdd(a3, m, c);
            a4 = Vector.FusedMultiplyAdd(a4, m, c); a5 = Vector.FusedMultiplyAdd(a5, m, c);
            a6 = Vector.FusedMultiplyAdd(a6, m, c); a7 = Vector.FusedMultiplyAdd(a7, m, c);
            a8 = Vector.FusedMultiplyAdd(a8, m, c); a9 = Vector.FusedMultiplyAdd(a9, m, c);
            a10 = Vector.FusedMultiplyAdd(a10, m, c); a11 = Vector.FusedMultiplyAdd(a11, m, c);
        }
        return Vector.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
