// Package deploy holds the checks that the deployment as code (the
// operator scripts in scripts/, the Terraform in infra/) agrees with the
// code: the commands the scripts would run, checked through their dry
// runs, without a cloud account.
package deploy
