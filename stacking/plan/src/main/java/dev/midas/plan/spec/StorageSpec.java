package dev.midas.plan.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where artifacts go. Credentials never appear here: only the name of a Secret holding them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {
  @JsonPropertyDescription("Root URI: file:///path or s3://bucket/prefix.")
  public String root;

  @JsonPropertyDescription("S3 endpoint for S3-compatible stores (MinIO, ...).")
  public String endpoint;

  public String region;

  @JsonPropertyDescription("Path-style S3 addressing (most S3-compatible stores need it).")
  public Boolean pathStyle;

  @JsonPropertyDescription(
      "Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, mounted into stage pods.")
  public String secretRef;
}
