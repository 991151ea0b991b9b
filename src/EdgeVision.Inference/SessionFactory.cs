using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Inference;

/// <summary>
/// Creates an <see cref="InferenceSession"/> with the first execution provider of the chain that works.
/// A provider fails either when it is appended (this build lacks it: EntryPointNotFoundException or an
/// OnnxRuntimeException) or when the session is created (no device, driver mismatch); either way the
/// reason is recorded and logged and the next provider is tried. CPU always works and ends the chain.
/// </summary>
public static class SessionFactory
{
    /// <summary>The session and how it was chosen; disposing it disposes the session.</summary>
    public sealed class Result : IDisposable
    {
        private int _disposed;

        internal Result(InferenceSession session, string provider, IReadOnlyList<ProviderAttempt> attempts, TensorRtEngineCache.Location? tensorRtCache)
        {
            Session = session;
            Provider = provider;
            Attempts = attempts;
            TensorRtCache = tensorRtCache;
            LiveNativeObjects.Created();
        }

        public InferenceSession Session { get; }
        public string Provider { get; }
        public IReadOnlyList<ProviderAttempt> Attempts { get; }

        /// <summary>The engine and timing cache directories TensorRT was given; null when no cache is configured or TensorRT is not in the chain.</summary>
        public TensorRtEngineCache.Location? TensorRtCache { get; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            Session.Dispose();
            LiveNativeObjects.Released();
        }
    }

    /// <param name="modelFile">The file <paramref name="model"/> was read from: TensorRT's engine cache is keyed by its bytes and
    /// pruned by it (<see cref="TensorRtEngineCache"/>); null for a model that exists only in memory (no engine cache).</param>
    public static Result Create(byte[] model, InferenceOptions options, ILogger? logger = null, string? modelFile = null)
    {
        logger ??= NullLogger.Instance;
        if (options.NativeLibraryPath is { } lib) OnnxRuntimeLibrary.Use(lib);

        var chain = options.EffectiveProviders.Select(p => ExecutionProviders.TryNormalize(p, out var c)
            ? c
            : throw new ArgumentException($"unknown execution provider '{p}'")).ToList();
        // The chain always ends on CPU: ORT runs unsupported nodes there anyway, and a GPU-less machine must still work.
        if (!chain.Contains(ExecutionProviders.Cpu)) chain.Add(ExecutionProviders.Cpu);

        TensorRtEngineCache.Location? trtCache = null;
        if (options.TensorRtEngineCachePath is { } root && chain.Contains(ExecutionProviders.TensorRt))
        {
            try
            {
                trtCache = TensorRtEngineCache.Prepare(root, model, modelFile, options, logger);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // An unwritable cache must not stop the model: TensorRT then builds its engine in memory, every load.
                logger.LogWarning("TensorRT engine cache {Root} unusable, engines are not cached: {Error}", root, e.Message);
            }
        }

        var attempts = new List<ProviderAttempt>();
        Exception? lastError = null;
        for (int start = 0; start < chain.Count; start++)
        {
            string provider = chain[start];
            SessionOptions? sessionOptions = null;
            try
            {
                sessionOptions = CreateSessionOptions(options);
                if (!TryAppend(sessionOptions, provider, options, trtCache, out string? appendFailure))
                {
                    Fail(provider, appendFailure!);
                    continue;
                }
                // The providers after the chosen one stay appended as fallbacks for nodes it cannot run.
                for (int next = start + 1; next < chain.Count; next++)
                    TryAppend(sessionOptions, chain[next], options, trtCache, out _);

                var session = new InferenceSession(model, sessionOptions);
                attempts.Add(new ProviderAttempt(provider, true, null));
                logger.LogInformation("Execution provider {Provider} selected (chain {Chain})", provider, string.Join(" → ", chain));
                return new Result(session, provider, attempts, trtCache);
            }
            catch (OnnxRuntimeException e) when (provider != ExecutionProviders.Cpu)
            {
                lastError = e;
                Fail(provider, "session creation failed: " + ProviderFailure.Describe(e));
            }
            finally
            {
                // ORT copies what it needs from the options into the session.
                sessionOptions?.Dispose();
            }
        }
        throw new InvalidOperationException("no execution provider could run the model: " +
            string.Join("; ", attempts.Select(a => $"{a.Provider}: {a.Reason}")), lastError);

        void Fail(string provider, string reason)
        {
            attempts.Add(new ProviderAttempt(provider, false, reason));
            logger.LogWarning("Execution provider {Provider} unavailable, falling through: {Reason}", provider, reason);
        }
    }

    private static SessionOptions CreateSessionOptions(InferenceOptions options)
    {
        var so = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = options.InterOpThreads > 1 ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
        };
        // Session config keys of ONNX Runtime (onnxruntime_session_options_config_keys.h).
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        so.AddSessionConfigEntry("session.inter_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        return so;
    }

    /// <summary>Appends one provider; false with the reason when this build or machine lacks it.</summary>
    private static bool TryAppend(SessionOptions so, string provider, InferenceOptions options, TensorRtEngineCache.Location? trtCache, out string? failure)
    {
        failure = null;
        try
        {
            switch (provider)
            {
                case ExecutionProviders.TensorRt:
                    using (var trt = new OrtTensorRTProviderOptions())
                    {
                        trt.UpdateOptions(TensorRtSettings(options, trtCache));
                        so.AppendExecutionProvider_Tensorrt(trt);
                    }
                    return true;
                case ExecutionProviders.Cuda:
                    using (var cuda = new OrtCUDAProviderOptions())
                    {
                        cuda.UpdateOptions(CudaSettings(options));
                        so.AppendExecutionProvider_CUDA(cuda);
                    }
                    return true;
                case ExecutionProviders.Cpu:
                    // CPU is always registered last by ORT itself; nothing to append.
                    return true;
                default:
                    failure = $"unknown provider '{provider}'";
                    return false;
            }
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            failure = ProviderFailure.Describe(e);
            return false;
        }
    }

    /// <summary>
    /// Keys of ORT's TensorRT provider options (onnxruntime tensorrt_provider_options.h). The engine cache is enabled only
    /// with a <paramref name="cache"/> location keyed by the model's content; the timing cache whenever one is configured.
    /// </summary>
    public static Dictionary<string, string> TensorRtSettings(InferenceOptions o, TensorRtEngineCache.Location? cache)
    {
        var d = new Dictionary<string, string>
        {
            ["device_id"] = o.DeviceId.ToString(CultureInfo.InvariantCulture),
            ["trt_fp16_enable"] = o.TensorRtFp16 ? "1" : "0",
            ["trt_int8_enable"] = o.TensorRtInt8 ? "1" : "0",
        };
        if (cache is not null)
        {
            d["trt_timing_cache_enable"] = "1";
            d["trt_timing_cache_path"] = cache.TimingDirectory;
            if (cache.EngineDirectory is { } engines)
            {
                d["trt_engine_cache_enable"] = "1";
                d["trt_engine_cache_path"] = engines;
            }
        }
        if (o.TensorRtMaxWorkspaceBytes > 0)
            d["trt_max_workspace_size"] = o.TensorRtMaxWorkspaceBytes.ToString(CultureInfo.InvariantCulture);
        return d;
    }

    /// <summary>Keys of ORT's CUDA provider options.</summary>
    public static Dictionary<string, string> CudaSettings(InferenceOptions o)
    {
        var d = new Dictionary<string, string>
        {
            ["device_id"] = o.DeviceId.ToString(CultureInfo.InvariantCulture),
            ["cudnn_conv_algo_search"] = "HEURISTIC",
        };
        if (o.CudaMemoryLimitBytes > 0)
            d["gpu_mem_limit"] = o.CudaMemoryLimitBytes.ToString(CultureInfo.InvariantCulture);
        return d;
    }
}
