using System.Runtime.InteropServices;

namespace EdgeVision.Inference;

/// <summary>
/// The CPU architecture an ELF shared library is built for, from its header (e_ident and e_machine), named as .NET
/// runtime identifiers name them (x64, arm64), so an x64 library on a Jetson is caught before dlopen's vaguer error.
/// </summary>
public static class ElfArchitecture
{
    /// <summary>The architecture of this process: x64, arm64, arm, x86, …</summary>
    public static string ProcessName() => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    /// <summary>The library's architecture, or null with <paramref name="problem"/> set when it is not a readable ELF file.</summary>
    public static string? Read(string path, out string? problem)
    {
        Span<byte> header = stackalloc byte[20];
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                problem = "shorter than an ELF header";
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return null;
        }
        if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
        {
            problem = "no ELF magic number";
            return null;
        }
        bool littleEndian = header[5] == 1;
        int machine = littleEndian ? header[18] | header[19] << 8 : header[18] << 8 | header[19];
        bool is64 = header[4] == 2;
        problem = null;
        return machine switch
        {
            62 => "x64",
            183 => "arm64",
            40 => "arm",
            3 => "x86",
            243 => is64 ? "riscv64" : "riscv32",
            _ => $"ELF machine {machine}",
        };
    }
}
