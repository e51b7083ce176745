package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Inputs: manifests written by the pipelines. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataSpec {
  @JsonPropertyDescription("URI of a token dataset's MANIFEST (PreprocessCorpus output).")
  public String dataset;

  @JsonPropertyDescription("URI of a primitives dataset's MANIFEST (GeneratePrimitives output).")
  public String primitives;
}
