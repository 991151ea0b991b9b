using System.Runtime.InteropServices;

namespace EdgeVision.Inference;

/// <summary>
/// Checks, before anything binds them, the native libraries the daemon cannot run without: OpenCvSharpExtern,
/// onnxruntime and the ONNX Runtime provider libraries next to it. A library that is missing, built for another
/// architecture (an x64 .so on a Jetson) or unloadable becomes one <see cref="NativeLibraryException"/> naming the
/// library, the paths searched and the docs/JETSON.md section that says how to get it, instead of a
/// TypeInitializationException stack from the first P/Invoke.
/// </summary>
public static class NativeLibraryCheck
{
    public const string Doc = "docs/JETSON.md";
    public const string OpenCvSection = Doc + "#1-opencvsharpextern";
    public const string OnnxRuntimeSection = Doc + "#2-onnx-runtime-with-cuda-and-tensorrt";

    /// <summary>The libraries a provider chain may load; only their architecture is checked, since a GPU-less machine lacks their CUDA dependencies by design.</summary>
    public static IReadOnlyList<string> ProviderLibraries { get; } =
        ["libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so", "libonnxruntime_providers_tensorrt.so"];

    /// <summary>Every check for the daemon: OpenCvSharpExtern and onnxruntime (NuGet's or <see cref="InferenceOptions.NativeLibraryPath"/>).</summary>
    public static void Verify(InferenceOptions options)
    {
        string baseDirectory = AppContext.BaseDirectory;
        var packaged = PackagedDirectories(baseDirectory);
        Require("libOpenCvSharpExtern.so", packaged, OpenCvSection, searchSystem: true);
        if (options.NativeLibraryPath is { } configured)
        {
            string full = Path.GetFullPath(configured);
            string directory = Path.GetDirectoryName(full)!;
            Require(Path.GetFileName(full), [directory], OnnxRuntimeSection, searchSystem: false,
                searchedNote: "(Inference:NativeLibraryPath)");
            CheckProviders([directory]);
        }
        else
        {
            Require("libonnxruntime.so", packaged, OnnxRuntimeSection, searchSystem: true);
            CheckProviders(packaged);
        }
    }

    /// <summary>Where the SDK puts a package's native assets: next to the app (RID-specific publish) or under runtimes/RID/native.</summary>
    public static IReadOnlyList<string> PackagedDirectories(string baseDirectory) =>
        [baseDirectory.TrimEnd('/'), Path.Combine(baseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native"),
         Path.Combine(baseDirectory, "runtimes", "linux-" + ElfArchitecture.ProcessName(), "native")];

    /// <summary>
    /// Finds <paramref name="fileName"/> in <paramref name="directories"/> (then the system library path when
    /// <paramref name="searchSystem"/>), checks its architecture and loads it; throws naming what went wrong.
    /// Returns the path found, or the bare name when the system loader found it.
    /// </summary>
    public static string Require(string fileName, IReadOnlyList<string> directories, string docSection, bool searchSystem, string? searchedNote = null)
    {
        var searched = directories.Distinct().ToList();
        string searchedText = string.Join(", ", searched) + (searchSystem ? ", then the system library path (LD_LIBRARY_PATH, ld.so.cache)" : "")
            + (searchedNote is null ? "" : " " + searchedNote);
        string? found = searched.Select(d => Path.Combine(d, fileName)).FirstOrDefault(File.Exists);
        if (found is null)
        {
            if (searchSystem && NativeLibrary.TryLoad(fileName, out IntPtr systemHandle))
            {
                NativeLibrary.Free(systemHandle);
                return fileName;
            }
            throw new NativeLibraryException(fileName, "not found", searchedText, docSection);
        }
        CheckArchitecture(fileName, found, searchedText, docSection);
        try
        {
            // Loading resolves its own dependencies (OpenCV's GTK, ORT's libstdc++): a missing one is named by the loader.
            NativeLibrary.Free(NativeLibrary.Load(found));
        }
        catch (DllNotFoundException e)
        {
            throw new NativeLibraryException(fileName, $"{found} cannot be loaded: {e.Message}", searchedText, docSection);
        }
        return found;
    }

    private static void CheckProviders(IReadOnlyList<string> directories)
    {
        foreach (string provider in ProviderLibraries)
        {
            foreach (string path in directories.Distinct().Select(d => Path.Combine(d, provider)).Where(File.Exists))
                CheckArchitecture(provider, path, string.Join(", ", directories.Distinct()), OnnxRuntimeSection);
        }
    }

    private static void CheckArchitecture(string fileName, string path, string searched, string docSection)
    {
        string? machine = ElfArchitecture.Read(path, out string? notElf);
        if (machine is null)
            throw new NativeLibraryException(fileName, $"{path} is not a shared library ({notElf})", searched, docSection);
        if (machine != ElfArchitecture.ProcessName())
            throw new NativeLibraryException(fileName, $"{path} is built for {machine}, this process is {ElfArchitecture.ProcessName()}", searched, docSection);
    }
}

/// <summary>One clear line: which library, what is wrong with it, where it was looked for, which doc section helps.</summary>
public sealed class NativeLibraryException(string library, string problem, string searched, string docSection)
    : Exception($"native library {library}: {problem} (searched: {searched}); see {docSection}")
{
    public string Library { get; } = library;
    public string DocSection { get; } = docSection;
}
