namespace Mlx.Estimators;

/// <summary>A dropout layer; see <see cref="Layer.Dropout"/>.</summary>
public sealed record DropoutLayer(double Rate) : Layer
{
    internal const byte Kind = 2;

    /// <inheritdoc/>
    public override string Name => "Dropout";

    internal override bool CarriesMask => true;

    // Scoring never drops units: nothing to export but the module to skip.
    internal override void Export(OnnxExport export) => export.Take();

    internal override void Build(LayerBuild build) => build.Add("dropout", new SeededDropout(Rate, build.DropoutGenerator));

    internal override void Write(BinaryWriter w)
    {
        w.Write(Kind);
        w.Write(Rate);
    }

    internal static DropoutLayer Read(BinaryReader r) => new(r.ReadDouble());
}
