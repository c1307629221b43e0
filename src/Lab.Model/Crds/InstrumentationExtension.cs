namespace OtelLab.Model.Crds;

/// <summary>A Java agent extension (<c>spec.java.extensions[]</c>): an image and the folder to copy from it.</summary>
public sealed record InstrumentationExtension(string Image, string Dir);
