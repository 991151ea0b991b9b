using EdgeVision.Inference.Tests;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>
/// Generated bad model files, every kind the issue names, cycled: truncations at random offsets, random bit flips,
/// zero bytes, all-zero pages, valid ONNX that breaks the contract, a huge declared dimension, a sparse file beyond
/// the size cap whose first field declares a 2 GB string, and a symlink to a valid model outside models/.
/// </summary>
internal sealed class BadModels(int seed)
{
    /// <summary>A bit flip can land in a weight and leave a loadable model; every other kind must be refused.</summary>
    public const string BitFlip = "bit flip";
    public const string SparseBeyondCap = "2 GB sparse beyond the size cap";
    public const long SparseBytes = 2L * 1024 * 1024 * 1024 + 4096;

    private static readonly string[] Kinds =
    [
        "truncated", BitFlip, "zero bytes", "all-zero page", "float input", "input not named images", "no probabilities output",
        "label count differs", "huge declared dimension", "fixed batch of 4", "metadata size differs", "symlink outside models/", SparseBeyondCap,
    ];

    private readonly Random _rng = new(seed);
    private readonly byte[] _good = new TinyContractModel { Classes = 6, Seed = 7 }.Build().ToByteArray();

    public static int KindCount => Kinds.Length;

    public static string KindAt(int index) => Kinds[index % Kinds.Length];

    /// <summary>Writes bad file number <paramref name="index"/> at <paramref name="path"/> (temp + rename); returns its kind.</summary>
    public string Write(int index, string path, string outsideDirectory)
    {
        string kind = KindAt(index);
        string temp = path + ".tmp";
        File.Delete(temp);
        switch (kind)
        {
            case "symlink outside models/":
                Directory.CreateDirectory(outsideDirectory);
                string target = Path.Combine(outsideDirectory, $"valid-{index}.onnx");
                File.WriteAllBytes(target, _good);
                File.CreateSymbolicLink(temp, target);
                break;
            case SparseBeyondCap:
                using (var stream = new FileStream(temp, FileMode.CreateNew))
                {
                    // ModelProto field 2 (producer_name), length-delimited, declaring ~2 GB: a parser that trusts it allocates that much.
                    var header = new MemoryStream();
                    var coded = new CodedOutputStream(header);
                    coded.WriteTag(2, WireFormat.WireType.LengthDelimited);
                    coded.WriteUInt32(2_100_000_000);
                    coded.Flush();
                    stream.Write(header.ToArray());
                    stream.SetLength(SparseBytes); // sparse: no disk blocks behind the zeros
                }
                break;
            default:
                File.WriteAllBytes(temp, Bytes(kind));
                break;
        }
        File.Move(temp, path, overwrite: true);
        return kind;
    }

    private byte[] Bytes(string kind) => kind switch
    {
        "truncated" => _good[.._rng.Next(1, _good.Length - 1)],
        BitFlip => Flip(_good),
        "zero bytes" => [],
        "all-zero page" => new byte[4096],
        "float input" => new TinyContractModel { InputType = TensorProto.Types.DataType.Float }.Build().ToByteArray(),
        "input not named images" => new TinyContractModel { InputName = "input" }.Build().ToByteArray(),
        "no probabilities output" => new TinyContractModel { OutputName = "scores" }.Build().ToByteArray(),
        "label count differs" => new TinyContractModel { LabelCount = 7 }.Build().ToByteArray(),
        "huge declared dimension" => new TinyContractModel { Height = 100_000, Width = 100_000 }.Build().ToByteArray(),
        "fixed batch of 4" => new TinyContractModel { DeclaredInputShape = [4, 16, 20, 3] }.Build().ToByteArray(),
        "metadata size differs" => new TinyContractModel { EditMetadata = m => m[EdgeVision.Core.Model.MetadataKeys.InputWidth] = "64" }.Build().ToByteArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown bad-model kind"),
    };

    private byte[] Flip(byte[] good)
    {
        byte[] bytes = (byte[])good.Clone();
        int flips = _rng.Next(1, 9);
        for (int i = 0; i < flips; i++) bytes[_rng.Next(bytes.Length)] ^= (byte)(1 << _rng.Next(8));
        return bytes;
    }
}
