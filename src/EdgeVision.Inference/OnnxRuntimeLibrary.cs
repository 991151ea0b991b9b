using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Inference;

/// <summary>
/// Points the managed ONNX Runtime at a locally built <c>libonnxruntime.so</c> (Jetson: ORT with CUDA and
/// TensorRT is built from source, not served as a package). Must happen before the first ORT call, once
/// per process, because .NET binds a DllImport library name only once.
/// </summary>
public static class OnnxRuntimeLibrary
{
    private const string LibraryName = "onnxruntime";
    private static readonly object Gate = new();
    private static string? _configuredPath;
    private static IntPtr _handle;

    /// <summary>The library set by <see cref="Use"/>, or null for the packaged one.</summary>
    public static string? ConfiguredPath
    {
        get { lock (Gate) return _configuredPath; }
    }

    /// <summary>
    /// Loads <paramref name="path"/> for every ORT P/Invoke. Calling it again with the same path is a no-op;
    /// a different path, or a call after ORT is already bound, throws because the process cannot switch.
    /// </summary>
    public static void Use(string path)
    {
        string full = Path.GetFullPath(path);
        lock (Gate)
        {
            if (_configuredPath is not null)
            {
                if (_configuredPath == full) return;
                throw new InvalidOperationException($"ONNX Runtime is already bound to '{_configuredPath}'; cannot switch to '{full}' in the same process");
            }
            if (!File.Exists(full)) throw new FileNotFoundException($"ONNX Runtime library '{full}' does not exist", full);
            Assembly ort = typeof(InferenceSession).Assembly;
            IntPtr handle = NativeLibrary.Load(full);
            // ORT registers its own resolver in a static constructor; switch that off first.
            OrtEnv.DisableDllImportResolver = true;
            try
            {
                _handle = handle;
                NativeLibrary.SetDllImportResolver(ort, Resolve);
            }
            catch (InvalidOperationException e)
            {
                _handle = IntPtr.Zero;
                NativeLibrary.Free(handle);
                throw new InvalidOperationException(
                    $"cannot point ONNX Runtime at '{full}': it was already used in this process (set Inference:NativeLibraryPath before loading any model)", e);
            }
            _configuredPath = full;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName == LibraryName || libraryName.StartsWith(LibraryName + ".", StringComparison.Ordinal)
            || libraryName == "lib" + LibraryName + ".so")
        {
            return _handle;
        }
        return IntPtr.Zero;
    }
}
