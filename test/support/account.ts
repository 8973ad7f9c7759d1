// The AWS account every test's access points belong to (moto and the local endpoint accept any).
export const ACCOUNT = "111122223333";
